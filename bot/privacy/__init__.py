"""Personal data kept only as long as needed (RGPD): retention, access, erasure, stored replies."""
