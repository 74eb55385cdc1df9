"""pyjava.api: ``from pyjava.api import Utils`` as Byzer's library scripts write it."""


class Utils:
    """Helpers for scripts."""

    @staticmethod
    def show_plot(context, plt, format="png"):
        """Makes the current matplotlib figure of ``plt`` the script's result: one row ``{"content": <an HTML img
        element with the figure inline>, "mime": "html"}`` (declare ``st(field(content,string),field(mime,string))``).
        ``format`` is ``png`` or ``svg``."""
        import base64
        import io
        if format not in ("png", "svg"):
            raise ValueError("Utils.show_plot: format must be png or svg, not %r" % (format,))
        buffer = io.BytesIO()
        plt.savefig(buffer, format=format)
        media = "image/png" if format == "png" else "image/svg+xml"
        image = base64.b64encode(buffer.getvalue()).decode("ascii")
        context.build_result([{"content": '<img src="data:%s;base64,%s"/>' % (media, image), "mime": "html"}])
