"""Server-rendered pages (Django templates + htmx). Each surface is a small app inside this one."""
