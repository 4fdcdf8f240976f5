"""Files derived from the record model and the taxonomy: JSON Schemas, the issue form, the field reference."""
