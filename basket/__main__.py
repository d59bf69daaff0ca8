from basket.cli import main

main()
