"""plot/confignames.py: a config's design and axes from its name or traits
(a module, not a script; no pandas, so that plot/styles.py, run once per
figure, starts fast).

Reads:  nothing. Writes: nothing.
"""


def axes_of(config, traits=None):
    """(design, asid, megapages) of a config from its traits, else from the
    Makefile's naming of configs (<design>, -asid, -mega)."""
    traits = traits or {}
    words = config.split("-")
    design = traits.get("design", words[0])
    asid = int(traits.get("asid", 1 if "asid" in words[1:] else 0))
    mega = int(traits.get("megapages", 1 if "mega" in words[1:] else 0))
    return design, asid, mega
