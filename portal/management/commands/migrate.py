"""`migrate` runs as the tables' owner (`DATABASES["owner"]`) unless told `--database`: the application's
role may not change the schema. Grants to the app role and row-level security follow (tenants.dbroles)."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from tenants.dbroles import owner_alias


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database") in (None, DEFAULT_DB_ALIAS):
            options["database"] = owner_alias()
        return super().handle(*args, **options)
