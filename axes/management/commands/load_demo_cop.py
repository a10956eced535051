from django.core.management.base import BaseCommand, CommandError

from axes.demo.builder import MAX_SCALE, DemoCopBuilder


class Command(BaseCommand):
    help = (
        "Construit la démonstration sans doublon : une trentaine de services, le COP 2020–2026 archivé "
        "(5 axes, 50 ambitions, 250 projets) et le COP 2026–2032, courant (4 orientations, 20 objectifs, "
        "80 actions, dont la moitié reprises du précédent) ; renouvelle les comptes de démonstration en "
        "développement. --scale N construit le COP 2020–2026 N fois plus grand, pour les mesures de "
        "performance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne charge la démonstration que si aucun COP ne contient encore de page.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help=(
                "Répète N fois les 50 ambitions et les 250 projets du COP 2020–2026 (lot k : "
                "ambition n + 50 × k, projets « n + 50 × k.i ») ; par défaut 1, le COP de démonstration. "
                "Compléter un COP existant ne crée que ce qui manque."
            ),
        )

    def handle(self, *args, if_empty, scale, **options):
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale va de 1 à {MAX_SCALE}.")
        DemoCopBuilder(write=self.stdout.write).build(if_empty=if_empty, scale=scale)
