"""The `coach` command line: argparse front over the service functions."""
