import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from donations.simulator import OUTCOMES, DarajaSimulator


class Command(BaseCommand):
    help = (
        "Serve the local Daraja simulator (OAuth, STK Push, STK Query, and the callback) so "
        "donations work with no internet. The phone number's last digit picks the outcome."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--port", type=int, default=getattr(settings, "DARAJA_SIMULATOR_PORT", 8009)
        )
        parser.add_argument(
            "--callback-delay",
            type=float,
            default=3.0,
            help="Seconds between a push and its callback (the customer 'thinking').",
        )

    def handle(self, *args, **options):
        simulator = DarajaSimulator(
            options["host"], options["port"], callback_delay=options["callback_delay"]
        )
        self.stdout.write(f"Daraja simulator on {simulator.url} (DARAJA_BASE_URL)")
        for digit, outcome in OUTCOMES.items():
            lost = {0: ", no callback", 2: ", callback twice"}.get(outcome.callbacks, "")
            self.stdout.write(
                f"  phone ending {digit}: {outcome.result_code} {outcome.result_description}{lost}"
            )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        simulator.start()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
