"""Local stand-ins for the providers' APIs (tests, benchmarks and `make run` end to end): each speaks the
provider's send API over real HTTP, records what it receives, and plays the person: it posts signed
webhooks to the app as the provider would. `manage.py provider_server <kind> --port N` runs one."""
