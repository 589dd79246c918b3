"""Sphinx configuration of the course site, built by ``make site`` (see autograd/course/site.py).

The notebooks arrive executed: MyST-NB only renders them. Nothing is loaded from
the network: no widget manager, no MathJax, the theme's own files only.
"""

project = "autograd: backpropagation you can watch"
author = "the scalar-autograd authors"
copyright = "the scalar-autograd authors"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

nb_execution_mode = "off"  # executed once, before the build
nb_ipywidgets_js = {}  # sliders need a kernel: the pages show the picture at the default, and say so
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_merge_streams = True

html_theme = "sphinx_book_theme"
html_title = "backpropagation you can watch"
html_theme_options = {
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": True,
}
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["course.css"]
