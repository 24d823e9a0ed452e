from ita.cli import main

main()
