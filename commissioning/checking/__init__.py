"""The check report on a read return: what a contract manager sends back to the provider.

`build_check` collects every problem into one report with stable reason codes; its text
and JSON renderings live in `commissioning.render`.
"""
