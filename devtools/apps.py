from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Tooling that is not the product's runtime: the seed conventions and `loaddemo`, the
    fictitious data of `generate_data`, `benchmark`. It may import every app; none imports it."""

    name = "devtools"
    verbose_name = "Outils de développement"
