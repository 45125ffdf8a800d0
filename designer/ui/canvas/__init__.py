"""The pathway canvas: the scene and its items, mouse and keyboard interactions, the view and the minimap."""
