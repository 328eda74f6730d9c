"""marshmallow schemas: the only place that knows the wire names of each resource."""
