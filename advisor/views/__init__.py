"""Views, one module per area: core pages, the catalogue, results, the API."""
