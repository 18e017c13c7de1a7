"""The film knowledge layer: people, aliases and relations read from the documents at index time."""
