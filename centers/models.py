"""Support institutions: tech-support centers, specialised complexes, training institutions."""
