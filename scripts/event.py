#!/usr/bin/env python3
"""Writes an API Gateway HTTP API (payload 2.0) event for one function, usable as it is by
`sam local invoke -e` and `cargo lambda invoke --data-file`.

  scripts/event.py FUNCTION STATUS-CASE 'METHOD ROUTE' PATH [BODY] [--header NAME:VALUE ...]
                   [--claim NAME=VALUE ...]   (JWT claims of a signed-in shopper)
                   [--iam]                    (signed with SigV4: a trusted backend)

  scripts/event.py get-cart 200-found 'GET /carts/{cart_id}' /carts/11111111-1111-4111-8111-111111111111

The file goes to events/FUNCTION/STATUS-CASE.json; the leading status is what the events
test expects the function to answer.
"""
import argparse
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def event(route_key, path, body, headers, claims, iam=False):
    method, route = route_key.split(" ", 1)
    names = re.findall(r"{(\w+)}", route)
    pattern = "^" + re.sub(r"{\w+}", "([^/]+)", route) + "$"
    match = re.match(pattern, path.split("?")[0])
    if not match:
        raise SystemExit(f"{path} does not match {route}")
    all_headers = {"accept": "application/json", "host": "api.example.com", "user-agent": "curl/8.5.0"}
    if body is not None:
        all_headers["content-type"] = "application/json"
    all_headers.update(headers)
    raw_path, _, query = path.partition("?")
    result = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "trolley",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1",
                     "sourceIp": "192.0.2.10", "userAgent": "curl/8.5.0"},
            "requestId": "event-request-id",
            "routeKey": route_key,
            "stage": "$default",
            "time": "22/Nov/2026:12:00:00 +0000",
            "timeEpoch": 1795348800000,
        },
        "isBase64Encoded": False,
    }
    if claims:
        # What API Gateway's JWT authorizer passes on for a verified bearer token.
        result["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
        result["headers"]["authorization"] = "Bearer <verified by API Gateway>"
    if iam:
        # What API Gateway's IAM authorization passes on for a SigV4-signed request.
        result["requestContext"]["authorizer"] = {"iam": {
            "accessKey": "AKIAEXAMPLE", "accountId": "123456789012", "callerId": "AROAEXAMPLE:backend",
            "principalOrgId": None, "userArn": "arn:aws:sts::123456789012:assumed-role/storefront/backend",
            "userId": "AROAEXAMPLE:backend"}}
    if query:
        result["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    if names:
        result["pathParameters"] = dict(zip(names, match.groups()))
    if body is not None:
        result["body"] = body
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("function")
    parser.add_argument("case", help="expected status and a name, e.g. 404-unknown-cart")
    parser.add_argument("route_key", help="e.g. 'GET /carts/{cart_id}'")
    parser.add_argument("path")
    parser.add_argument("body", nargs="?")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--claim", action="append", default=[], help="a JWT claim NAME=VALUE (a signed-in shopper)")
    parser.add_argument("--iam", action="store_true", help="signed with SigV4 (a trusted backend)")
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    claims = dict(c.split("=", 1) for c in args.claim)
    out = ROOT / "events" / args.function / f"{args.case}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(event(args.route_key, args.path, args.body, headers, claims, args.iam), indent=2) + "\n")
    print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
