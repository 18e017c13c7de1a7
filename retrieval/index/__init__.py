"""The on-disk index: build and load (store), dense vectors (ann), BM25 (bm25), its stats."""
