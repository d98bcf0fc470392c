"""The workstreams of the pilot, in the order the menu, the API index and the tooling list them.

Each is a Django app that may offer ``urls``, ``api.urls``, ``scale`` and ``demo`` modules."""
WORKSTREAMS = ("cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
