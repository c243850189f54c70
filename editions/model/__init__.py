"""The publication model: a master, its metadata, endorsers and references, read and checked
once into a frozen Publication that every renderer takes."""
