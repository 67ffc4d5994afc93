#!/usr/bin/env python3
"""A stand-in for the census site on 127.0.0.1, for the fault suite.

usage: census-http.py PORT DIR [--fail NAME]... [--bytes-per-second N] [--lifetime SECONDS]

GET /any/path/NAME answers DIR/NAME (200), HTTP 500 for a NAME given with --fail, 404 for anything
else. --bytes-per-second sends bodies slowly, so that a reader can be caught mid-file. It stops by
itself after --lifetime seconds (default 900), so a forgotten one cannot linger.
"""
import argparse
import http.server
import os
import posixpath
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("dir")
    parser.add_argument("--fail", action="append", default=[])
    parser.add_argument("--bytes-per-second", type=int, default=0)
    parser.add_argument("--lifetime", type=int, default=900)
    args = parser.parse_args()

    class Census(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = posixpath.basename(self.path.split("?", 1)[0])
            path = os.path.join(args.dir, name)
            if name in args.fail:
                self.send_error(500, "failing on purpose")
                return
            if not name or not os.path.isfile(path):
                self.send_error(404)
                return
            size = os.path.getsize(path)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            piece = 16384
            with open(path, "rb") as f:
                while True:
                    data = f.read(piece)
                    if not data:
                        break
                    try:
                        self.wfile.write(data)
                    except (BrokenPipeError, ConnectionResetError):
                        return  # the reader went away (killed on purpose)
                    if args.bytes_per_second > 0:
                        time.sleep(len(data) / args.bytes_per_second)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Census)
    server.daemon_threads = True
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
