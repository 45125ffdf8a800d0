"""The main window and what hangs off it: actions and menus, files, clipboard, find bar, export dialog, start-up."""
