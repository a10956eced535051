from django.core.management.base import BaseCommand

from axes.demo.builder import DemoCopBuilder


class Command(BaseCommand):
    help = (
        "Construit le COP de démonstration (5 axes, 50 ambitions, 250 projets, une trentaine de "
        "services) sans doublon, et renouvelle les comptes de démonstration en développement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne charge le COP de démonstration que si le COP ne contient encore aucun axe.",
        )

    def handle(self, *args, if_empty, **options):
        DemoCopBuilder(write=self.stdout.write).build(if_empty=if_empty)
