"""The answer path: fuse the rankings, quote the best sentences, and the result types."""
