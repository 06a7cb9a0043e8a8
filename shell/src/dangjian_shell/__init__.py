"""dangjian's shell: the `dangjian` command and the HTTP API, over the kernel."""

__version__ = "0.1.0"
