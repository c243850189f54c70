"""The doors to the outside: pandoc and its AST, YAML and text files, zip containers, fonts."""
