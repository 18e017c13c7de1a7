"""Query and passage encoders: the sentence-transformers reference and its ONNX export."""

import os

# onnxruntime (1.29 and later) collects telemetry on Linux too: on import it writes a device id
# and an SQLite upload queue under ~/.cache/Microsoft, tries to send them, and flushes the queue
# (two fsyncs) when the process exits. The bot has nothing to report to anyone. Set before any
# import of onnxruntime: the runtime reads it once, when it starts. A user who sets the variable
# keeps their value.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
