"""A Flight client as users write one: pyarrow.flight, then Polars. Prints one JSON object for the test to check.

Usage: flight_client.py PORT TOKEN CASE [ARG]
"""
import glob
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pyarrow as pa
import pyarrow.compute
import pyarrow.flight as flight

port, token, case = int(sys.argv[1]), sys.argv[2], sys.argv[3]
arg = sys.argv[4] if len(sys.argv) > 4 else None
location = f"grpc+tcp://127.0.0.1:{port}"


def options(bearer=token):
    return flight.FlightCallOptions(headers=[(b"authorization", f"Bearer {bearer}".encode())])


def read(descriptor):
    """Every endpoint's stream, each from the location GetFlightInfo named for it."""
    info = flight.connect(location).get_flight_info(descriptor, options())
    tables = []
    for endpoint in info.endpoints:
        client = flight.connect(endpoint.locations[0])
        tables.append(client.do_get(endpoint.ticket, options()).read_all())
    return info, pa.concat_tables(tables)


def polars_frame(descriptor):
    """The documented Polars client: DoGets in parallel, each batch made a Polars frame as it arrives."""
    auth = options()
    info = flight.connect(location).get_flight_info(descriptor, auth)

    def fetch(endpoint):
        reader = flight.connect(endpoint.locations[0]).do_get(endpoint.ticket, auth).to_reader()
        return [pl.from_arrow(batch) for batch in reader]

    with ThreadPoolExecutor(max(1, min(len(info.endpoints), 8))) as pool:
        frames = [frame for frames in pool.map(fetch, info.endpoints) for frame in frames]
    return pl.concat(frames, rechunk=False) if frames else pl.from_arrow(info.schema.empty_table())


def ipc_bytes(table):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table.combine_chunks())
    return sink.getvalue().to_pybytes()


def failure(call):
    try:
        call()
    except flight.FlightError as e:
        return {"error": type(e).__name__, "message": str(e)}
    except Exception as e:  # pyarrow maps some gRPC codes onto its own exception types
        return {"error": type(e).__name__, "message": str(e)}
    return {"error": None}


if case == "all_types":
    export, arrow_check_dir = json.loads(arg)
    sys.path.insert(0, arrow_check_dir)
    import arrow_check  # the Arrow bridge tests' canonical values

    names = [info.descriptor.path[0].decode() for info in flight.connect(location).list_flights(b"", options())]
    info, table = read(flight.FlightDescriptor.for_path("all_types"))
    table = table.sort_by("id")
    files = sorted(glob.glob(export + "/*.arrow"))
    reference = pa.concat_tables([pa.ipc.open_file(f).read_all() for f in files]).sort_by("id")
    frame = pl.from_arrow(table)
    batch_frame = polars_frame(flight.FlightDescriptor.for_path("all_types")).sort("id")
    empty_frame = polars_frame(flight.FlightDescriptor.for_path("all_types_empty"))
    print(json.dumps({
        "names": names,
        "endpoints": len(info.endpoints),
        "locations": sorted({e.locations[0].uri.decode() for e in info.endpoints}),
        "types": {f.name: str(f.type) for f in table.schema},
        "schemaEqual": table.schema.equals(reference.schema),
        # Arrow's equality holds NaN unequal to itself: compare the columns' IPC bytes instead.
        "differingColumns": [name for name in table.column_names
                             if ipc_bytes(table.select([name])) != ipc_bytes(reference.select([name]))],
        "pyarrowRows": arrow_check.table_result(table)["rows"],
        "polarsRows": arrow_check.polars_result(frame)["rows"],
        "polarsShape": list(frame.shape),
        "polarsBatchRows": arrow_check.polars_result(batch_frame)["rows"],
        "polarsBatchShape": list(batch_frame.shape),
        "emptySchemaEqual": empty_frame.schema == frame.schema,
        "emptyShape": list(empty_frame.shape),
    }))
elif case == "rows":
    name, arrow_check_dir = json.loads(arg)
    sys.path.insert(0, arrow_check_dir)
    import arrow_check

    _, table = read(flight.FlightDescriptor.for_path(name))
    frame = polars_frame(flight.FlightDescriptor.for_path(name)).sort("id")
    print(json.dumps({"pyarrowRows": arrow_check.table_result(table.sort_by("id"))["rows"],
                      "polarsRows": arrow_check.polars_result(frame)["rows"]}))
elif case == "conf_table_and_sql":
    _, table = read(flight.FlightDescriptor.for_path("flight_conf_view"))
    _, sql = read(flight.FlightDescriptor.for_command(b"SELECT id * 2 AS x FROM range(10)"))
    print(json.dumps({"rows": table.num_rows, "sum": pl.from_arrow(table)["id"].sum(),
                      "sqlSum": pl.from_arrow(sql)["x"].sum(), "sqlColumns": sql.column_names}))
elif case == "concurrent":
    results = [None] * 4

    def run(i):
        _, table = read(flight.FlightDescriptor.for_path("concurrent"))
        frame = pl.from_arrow(table)
        results[i] = [frame.height, frame["id"].sum(), frame["twice"].sum()]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"results": results}))
elif case == "failures":
    client = flight.connect(location)
    out = {
        "wrongToken": failure(lambda: list(client.list_flights(b"", options("not-the-token")))),
        "noToken": failure(lambda: list(client.list_flights(b""))),
        "missingName": failure(lambda: client.get_flight_info(flight.FlightDescriptor.for_path("nope"), options())),
        "badQuery": failure(lambda: client.get_flight_info(
            flight.FlightDescriptor.for_command(b"SELECT no_such_column FROM range(3)"), options())),
        "failingQuery": failure(lambda: client.get_flight_info(flight.FlightDescriptor.for_command(
            b"SELECT assert_true(id < 2, 'id reached 2') FROM range(5)"), options())),
        "badTicket": failure(lambda: client.do_get(flight.Ticket(b"made-up"), options()).read_all()),
    }
    info = client.get_flight_info(flight.FlightDescriptor.for_path("all_types"), options())
    endpoint = info.endpoints[0]
    flight.connect(endpoint.locations[0]).do_get(endpoint.ticket, options()).read_all()
    out["ticketTwice"] = failure(
        lambda: flight.connect(endpoint.locations[0]).do_get(endpoint.ticket, options()).read_all())
    print(json.dumps(out))
elif case == "disconnect":
    client = flight.connect(location)
    info = client.get_flight_info(flight.FlightDescriptor.for_path("big"), options())
    endpoint = info.endpoints[0]
    reader = flight.connect(endpoint.locations[0]).do_get(endpoint.ticket, options())
    first = reader.read_chunk().data.num_rows
    reader.cancel()
    print(json.dumps({"firstBatchRows": first, "ticket": endpoint.ticket.ticket.decode(),
                      "location": endpoint.locations[0].uri.decode()}))
elif case == "while_computing":
    info = flight.connect(location).get_flight_info(flight.FlightDescriptor.for_path("while_computing"), options())
    endpoint = info.endpoints[0]
    reader = flight.connect(endpoint.locations[0]).do_get(endpoint.ticket, options())
    first = reader.read_chunk().data
    print(json.dumps({"firstBatchRows": first.num_rows}), flush=True)
    rest = reader.read_all()
    ids = pa.concat_arrays([first.column(0)] + rest.column(0).chunks)
    print(json.dumps({"rows": len(ids), "idSum": pa.compute.sum(ids).as_py()}), flush=True)
elif case == "tls":
    with open(arg, "rb") as cert:
        root = cert.read()
    secure = f"grpc+tls://127.0.0.1:{port}"
    names = [i.descriptor.path[0].decode()
             for i in flight.connect(secure, tls_root_certs=root).list_flights(b"", options())]
    print(json.dumps({
        "names": names,
        "plaintextClient": failure(lambda: list(flight.connect(location).list_flights(b"", options()))),
        "untrustedServer": failure(lambda: list(flight.connect(secure).list_flights(b"", options()))),
    }))
elif case == "cluster":
    info, table = read(flight.FlightDescriptor.for_path("cluster_rows"))
    frame = pl.from_arrow(table)
    print(json.dumps({"endpoints": len(info.endpoints),
                      "locations": sorted({e.locations[0].uri.decode() for e in info.endpoints}),
                      "rows": frame.height, "idSum": frame["id"].sum(), "tripleSum": frame["triple"].sum()}))
elif case == "refetch":
    ticket, where = json.loads(arg)
    print(json.dumps(failure(
        lambda: flight.connect(where).do_get(flight.Ticket(ticket.encode()), options()).read_all())))
else:
    raise SystemExit("unknown case " + case)
