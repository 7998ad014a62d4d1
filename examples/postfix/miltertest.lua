-- bouncenote milter checked with an independent milter client: OpenDKIM's
-- miltertest (Debian package miltertest). The milter must already listen
-- on `socket`, started with --headers-only.
--
--   bouncenote milter --listen inet:8891@127.0.0.1 --headers-only &
--   miltertest -s miltertest.lua -D socket=inet:8891@127.0.0.1 \
--     -D bounce=testdata/corpus/sisimai/bounces/lhost-postfix-02.eml \
--     -D reason=userunknown -D status="5.2.1 (550)"
--
-- Checks: (1) a bounce sent with MAIL FROM:<> gets X-Bounce-Reason and
-- X-Bounce-Status inserted with the given values, no body change, accept;
-- (2) ordinary mail gets "accept" at end-of-header and no change.
-- (Debian's miltertest crashes when a milter replaces a body of more than
-- about 1 KB: body replacement is checked through Postfix instead.)

local failures = 0
local function check(ok, what)
	if ok then
		mt.echo("ok: " .. what)
	else
		mt.echo("FAIL: " .. what)
		failures = failures + 1
	end
end

local function must(err, what)
	if err ~= nil then
		error(what .. ": " .. tostring(err))
	end
end

local function open()
	local conn = mt.connect(socket, 20, 0.25)
	if conn == nil then
		error("cannot connect to " .. socket)
	end
	must(mt.negotiate(conn, nil, nil, nil), "negotiate")
	-- bouncenote asks for no connect and HELO events (SMFIP_NOCONNECT,
	-- SMFIP_NOHELO); miltertest skips them, and mt.conninfo would fail.
	check(mt.test_option(conn, SMFIP_NOCONNECT), "negotiated: no connect event")
	check(mt.test_action(conn, SMFIF_CHGBODY), "negotiated: may replace the body")
	check(not mt.test_action(conn, SMFIF_QUARANTINE), "negotiated: never quarantines")
	return conn
end

-- read_message splits a message file into header fields and body; folded
-- fields keep their continuation lines.
local function read_message(path)
	local f = assert(io.open(path, "rb"))
	local data = f:read("*a"):gsub("\r\n", "\n")
	f:close()
	local head, body = data:match("^(.-)\n\n(.*)$")
	local fields = {}
	for line in (head .. "\n"):gmatch("(.-)\n") do
		if line:match("^[ \t]") and #fields > 0 then
			fields[#fields].value = fields[#fields].value .. "\n" .. line
		else
			local name, value = line:match("^([^:]+):[ \t]*(.*)$")
			if name then
				table.insert(fields, { name = name, value = value })
			end
		end
	end
	return fields, body:gsub("\n", "\r\n")
end

-- 1. A bounce gets our headers, and only headers, in --headers-only mode.
local conn = open()
must(mt.macro(conn, SMFIC_MAIL, "i", "MT00000001"), "macro")
must(mt.mailfrom(conn, "<>"), "mailfrom")
must(mt.rcptto(conn, "<alice@example.org>"), "rcptto")
local fields, body = read_message(bounce)
for _, h in ipairs(fields) do
	must(mt.header(conn, h.name, h.value), "header " .. h.name)
end
must(mt.eoh(conn), "eoh")
check(mt.getreply(conn) == SMFIR_CONTINUE, "bounce: continue after end-of-header")
local pos = 1
while pos <= #body do
	must(mt.bodystring(conn, body:sub(pos, pos + 65534)), "body")
	pos = pos + 65535
end
must(mt.eom(conn), "eom")
check(mt.getreply(conn) == SMFIR_ACCEPT, "bounce: accept at end-of-message")
check(mt.eom_check(conn, MT_HDRINSERT, "X-Bounce-Reason", reason), "bounce: X-Bounce-Reason: " .. reason)
check(mt.eom_check(conn, MT_HDRINSERT, "X-Bounce-Status", status), "bounce: X-Bounce-Status: " .. status)
check(mt.eom_check(conn, MT_HDRINSERT, "X-Bounce-Explanation"), "bounce: X-Bounce-Explanation inserted")
check(not mt.eom_check(conn, MT_BODYCHANGE), "bounce: body left alone (--headers-only)")
check(not mt.eom_check(conn, MT_QUARANTINE), "bounce: not quarantined")
mt.disconnect(conn)

-- 2. Ordinary mail: accepted at end-of-header, nothing changed.
conn = open()
must(mt.macro(conn, SMFIC_MAIL, "i", "MT00000002"), "macro")
must(mt.mailfrom(conn, "<bob@example.org>"), "mailfrom")
must(mt.rcptto(conn, "<alice@example.org>"), "rcptto")
must(mt.header(conn, "From", "Bob <bob@example.org>"), "header")
must(mt.header(conn, "To", "alice@example.org"), "header")
must(mt.header(conn, "Subject", "Lunch on Friday?"), "header")
must(mt.eoh(conn), "eoh")
check(mt.getreply(conn) == SMFIR_ACCEPT, "ordinary mail: accept at end-of-header")
mt.disconnect(conn)

if failures > 0 then
	error(failures .. " miltertest check(s) failed")
end
mt.echo("miltertest: all checks passed")
