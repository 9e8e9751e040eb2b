-- wrk script for scripts/bench: view beacons as the public page's script sends them, from a
-- phone browser (bots are not counted, so the user agent matters).
wrk.method = "POST"
wrk.body = '{"slug":"ana-coach","referrer":"https://l.instagram.com/"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
wrk.headers["Referer"] = "http://127.0.0.1/ana-coach?utm_source=bench"
