"""django-tenants' PostgreSQL backend, pointed at the embedded server when DATABASE_URL is unset."""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from config import embedded_db


class DatabaseWrapper(TenantDatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if self.settings_dict.get("EMBEDDED"):
            params["host"] = embedded_db.socket_dir(self.settings_dict["NAME"])
        return params
