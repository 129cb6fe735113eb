"""Started by Python in a subprocess of the tests (tests/clock.py `subprocess_env`): the
subprocess's clock starts at the test's moment TEST_NOW and runs on from there."""

import os

if moment := os.environ.get("TEST_NOW"):
    import time_machine

    time_machine.travel(float(moment), tick=True).start()
