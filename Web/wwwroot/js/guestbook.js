// Progressive enhancement: with JavaScript the guestbook posts through the JSON API without a reload;
// without it, the same form posts normally and the server redisplays it.
const form = document.getElementById("guestbook-form");
const list = document.getElementById("entries");
const template = document.getElementById("entry-template");

if (form && list && template && window.fetch) {
    const status = form.querySelector(".form-status");
    const button = form.querySelector("button[type=submit]");
    const keyField = form.querySelector("input[name='Form.IdempotencyKey']");
    const fields = {
        name: form.querySelector("[name='Form.Name']"),
        message: form.querySelector("[name='Form.Message']"),
    };

    // A fresh key per entry; a resend of the same entry reuses it and is stored once.
    const newKey = () => {
        const bytes = crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };

    const showErrors = (errors) => {
        let first = null;
        for (const [field, input] of Object.entries(fields)) {
            const messages = errors[field];
            const slot = form.querySelector(`.field-error[data-for='${field}']`);
            slot.textContent = messages ? messages[0] : "";
            if (messages) {
                input.setAttribute("aria-invalid", "true");
                first ??= input;
            } else {
                input.removeAttribute("aria-invalid");
            }
        }
        first?.focus();
    };

    // The server's own markup for an entry (the Entry function of Guestbook/Index.cshtml), filled in.
    const render = (entry) => {
        const item = template.content.firstElementChild.cloneNode(true);
        item.id = `entry-${entry.id}`;
        item.classList.add("fresh");
        item.querySelector(".entry-name").textContent = entry.name;
        item.querySelector("time").dateTime = entry.createdAt;
        item.querySelector(".entry-message").textContent = entry.message;
        list.querySelectorAll(".entry.posted").forEach((old) => old.classList.remove("posted"));
        list.prepend(item);
        document.querySelector(".empty")?.remove();
    };

    const clear = () => {
        showErrors({});
        fields.name.value = "";
        fields.message.value = "";
        // Setting a value fires no input event; the counter hears of the emptied field from this one.
        fields.message.dispatchEvent(new Event("input"));
        keyField.value = newKey();
    };

    form.addEventListener("submit", async (event) => {
        event.preventDefault();
        button.disabled = true;
        status.textContent = "Posting…";
        try {
            const response = await fetch(form.dataset.api, {
                method: "POST",
                headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": keyField.value },
                body: JSON.stringify({ name: fields.name.value, message: fields.message.value }),
            });
            const body = await response.json().catch(() => ({}));
            if (response.status === 201) {
                render(body);
                clear();
                status.textContent = "Thank you! Your entry is now at the top of the list.";
            } else if (response.status === 202) {
                // Stored, but held for the owner's review: nothing to add to the list yet.
                clear();
                status.textContent = body.detail;
            } else if (response.status === 400 && body.errors) {
                showErrors(body.errors);
                status.textContent = "";
            } else if (response.status === 422) {
                // The key already stored an earlier, different entry: a new one makes the next post an entry of its own.
                keyField.value = newKey();
                status.textContent = "This form already posted a different entry; this text was not posted. Post it again to add it as an entry of its own.";
            } else {
                status.textContent = body.detail || "Your entry couldn't be posted just now. Your text is still here; please try again.";
            }
        } catch {
            status.textContent = "The site couldn't be reached. Your text is still here; please try again.";
        } finally {
            button.disabled = false;
        }
    });
}
