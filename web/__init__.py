"""The web toolkit every app's pages and API share: middleware, paging, list pages and their
exports, form helpers, template tags, printed forms, spreadsheet imports, the API's base
classes."""
