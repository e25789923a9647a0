"""The rules of SPEC §3, §9 and §11 in groups: each a class over one file's fields, composed by validation."""
