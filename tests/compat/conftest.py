"""Registers the ``slow`` marker used by the compat programs."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: compat programs that take several seconds")
