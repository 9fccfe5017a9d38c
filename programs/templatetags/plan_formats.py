"""Template filters for the plan's number conventions (백만원, △, 신규), from programs.formats."""

from django import template

from programs import formats, registry

register = template.Library()


@register.filter
def million(amount_won):
    return formats.format_million(amount_won)


@register.filter
def rate(value, empty=formats.NEW_LABEL):
    return formats.format_rate(value, empty=empty)


@register.simple_tag
def program_change_rate(program):
    return formats.format_rate(formats.change_rate(program.budget_previous, program.budget_current))


@register.simple_tag
def program_execution_rate(program):
    return formats.format_rate(formats.execution_rate(program.executed, program.budget_current), empty="-")


@register.simple_tag
def plan_nav_links():
    """The list pages the apps add to the /plan/ menu (programs.registry.plan_nav)."""
    return list(registry.plan_nav)
