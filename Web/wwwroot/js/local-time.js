// Progressive enhancement: the server writes every time in UTC inside <time datetime="…Z">; here it is rewritten in
// the visitor's own time zone and language. Without JavaScript the UTC text stays, and says it is UTC.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

for (const time of document.querySelectorAll("time[datetime$='Z']")) {
    const at = new Date(time.dateTime);
    if (!Number.isNaN(at.getTime())) {
        time.title = time.textContent;
        time.textContent = format.format(at);
    }
}
