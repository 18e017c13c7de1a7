"""Query and passage encoders: the sentence-transformers reference and its ONNX export."""
