"""What each `surveykb` verb does, returning data for the command line to print."""
