"""Where the Neo4j comes from: provisioning (a URI, Docker, the local server) and that server."""
