from django.core.management.base import BaseCommand, CommandError

from axes.demo.builder import MAX_SCALE, DemoCopBuilder


class Command(BaseCommand):
    help = (
        "Construit le COP de démonstration (5 axes, 50 ambitions, 250 projets, une trentaine de "
        "services) sans doublon, et renouvelle les comptes de démonstration en développement. "
        "--scale N le construit N fois plus grand, pour les mesures de performance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne charge le COP de démonstration que si le COP ne contient encore aucun axe.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help=(
                "Répète N fois les 50 ambitions et leurs 250 projets (lot k : ambition n + 50 × k, "
                "projets « n + 50 × k.i ») ; par défaut 1, le COP de démonstration. Compléter un COP "
                "existant ne crée que ce qui manque."
            ),
        )

    def handle(self, *args, if_empty, scale, **options):
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale va de 1 à {MAX_SCALE}.")
        DemoCopBuilder(write=self.stdout.write).build(if_empty=if_empty, scale=scale)
