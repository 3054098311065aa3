"""The knowledge base: shipped guidance and user documents, chunked, embedded and searched."""
