# dmgbuild settings for Abstractor's macOS disk image (dmgbuild is on PyPI; "packaging" extra).
#
#   dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Abstractor.app "Abstractor" dist/Abstractor-0.1.0.dmg
#
# The window shows the app and a link to /Applications: drag one onto the other.
# (dmgbuild executes this file with `defines` set from the -D options.)
import os.path

application = defines.get("app", "dist/Abstractor.app")  # noqa: F821 - provided by dmgbuild
appname = os.path.basename(application)

format = "UDZO"  # noqa: A001 - dmgbuild's setting name; compressed, read-only
filesystem = "HFS+"
size = None                # computed from the contents
files = [application]
symlinks = {"Applications": "/Applications"}
badge_icon = None
icon_locations = {appname: (140, 160), "Applications": (420, 160)}
window_rect = ((200, 120), (560, 340))
default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
icon_size = 112
text_size = 13
background = "builtin-arrow"
