"""Renderers: a plan (plus today and other inputs) in, a value out.

Each module returns a string, bytes or a rich renderable; none prints or
writes. Only ``ics`` imports icalendar, so other commands never pay for it.
"""
