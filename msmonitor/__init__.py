"""msmonitor: the alemtuzumab (Lemtrada) safety-monitoring schedule, from infusion course dates."""

__version__ = "0.1.0"
