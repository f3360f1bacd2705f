"""The municipal admin console on the tenant's own subdomain (/admin-konsol/).

Thin views over the services in rounds/services/; who may see what is decided in roles.py.
"""
