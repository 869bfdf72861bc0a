import threading

from viz_app.core.jobs import JobContext, Progress, Request, RequestQueue, error_message, execute


def _ctx(fn, *args, **kwargs):
    reports = []
    request = Request(channel="c", fn=fn, args=args, kwargs=kwargs)
    return JobContext(request=request, device="cpu", models=None, report=reports.append), reports


def test_plain_job_returns_value():
    ctx, _ = _ctx(lambda ctx, a, b=0: a + b, 2, b=3)
    outcome = execute(ctx)
    assert outcome.value == 5 and outcome.error is None and not outcome.cancelled


def test_generator_job_reports_progress_and_returns():
    def job(ctx, n):
        for i in range(n):
            yield Progress((i + 1) / n, f"step {i + 1}")
        return "done"

    ctx, reports = _ctx(job, 4)
    outcome = execute(ctx)
    assert outcome.value == "done"
    assert [p.fraction for p in reports] == [0.25, 0.5, 0.75, 1.0]


def test_generator_job_stops_when_cancelled():
    steps = []

    def job(ctx):
        for i in range(1000):
            steps.append(i)
            if i == 3:
                ctx.request.cancel()
            yield Progress(i / 1000)
        return "finished"

    ctx, _ = _ctx(job)
    outcome = execute(ctx)
    assert outcome.cancelled and outcome.value is None
    assert len(steps) == 4


def test_failure_becomes_a_message():
    def job(ctx):
        raise ValueError("bad input: nothing to do")

    outcome = execute(_ctx(job)[0])
    assert outcome.error == "bad input: nothing to do"
    assert "Traceback" in outcome.details


def test_error_message_names_unexpected_kinds():
    assert error_message(ZeroDivisionError("division by zero")) == "ZeroDivisionError: division by zero"
    assert error_message(RuntimeError()) == "RuntimeError"
    assert error_message(ValueError("plain")) == "plain"


def test_queue_keeps_only_the_latest_request_per_channel():
    q = RequestQueue()
    a1 = Request("a", fn=None)
    b1 = Request("b", fn=None)
    a2 = Request("a", fn=None)
    assert q.put(a1) is None
    q.put(b1)
    assert q.put(a2) is a1  # a1 superseded before it ran: dropped
    assert q.take(0) is b1
    assert q.take(0) is a2
    assert q.take(0) is None


def test_queue_close_wakes_a_waiting_taker():
    q = RequestQueue()
    got = []
    t = threading.Thread(target=lambda: got.append(q.take()))
    t.start()
    q.close()
    t.join(5)
    assert not t.is_alive() and got == [None]
