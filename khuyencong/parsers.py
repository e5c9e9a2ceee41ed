"""The API's JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES).

Its own module: DRF imports the parser classes while importing its views, which
khuyencong.api needs, so the parser cannot live there.
"""

from rest_framework import exceptions, parsers

from khuyencong import safejson


class UnreadableJson(exceptions.ParseError):
    """400 with its own message (a plain ParseError is answered "JSON sai cú pháp")."""


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that refuses NUL characters and deep nesting (khuyencong.safejson)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
            safejson.check(document)
        except RecursionError:
            raise UnreadableJson(safejson.too_deep_message()) from None
        except safejson.UnsafeJson as error:
            raise UnreadableJson(error.message) from None
        return document
