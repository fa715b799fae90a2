// Progressive enhancement: with JavaScript a picture opens over the gallery, with previous/next, the arrow keys,
// Escape and swipes; without it, each picture is a link to its own page with the same previous/next links.
const links = [...document.querySelectorAll(".gallery a[data-lightbox]")];

if (links.length > 0 && typeof HTMLDialogElement === "function") {
    const element = (tag, props = {}, children = []) => {
        const node = Object.assign(document.createElement(tag), props);
        node.append(...children);
        return node;
    };

    const count = element("p", { className: "lightbox-count" });
    const previous = element("button", { type: "button", className: "lightbox-prev", textContent: "← Previous" });
    const next = element("button", { type: "button", className: "lightbox-next", textContent: "Next →" });
    const close = element("button", { type: "button", className: "lightbox-close", textContent: "Close" });
    // Not draggable: a mouse drag would start dragging the image out instead of swiping.
    const image = element("img", { decoding: "async", draggable: false });
    const caption = element("p", { id: "lightbox-caption", className: "lightbox-caption" });
    // An address from the start, the first picture's: an anchor without one is no link to crawlers or assistive technology.
    const page = element("a", { textContent: "Open this picture's page", href: links[0].getAttribute("href") });
    // A modal dialog keeps focus inside it and leaves the page behind it inert.
    const dialog = element("dialog", { className: "lightbox" }, [
        element("div", { className: "lightbox-body" }, [
            element("div", { className: "lightbox-bar" }, [count, element("div", {}, [previous, " ", next, " ", close])]),
            element("figure", {}, [image]),
            element("div", { className: "lightbox-bar" }, [caption, page]),
        ]),
    ]);
    dialog.setAttribute("aria-labelledby", caption.id);
    document.body.append(dialog);

    let current = 0;
    let opener = null;

    const show = (index) => {
        current = (index + links.length) % links.length;
        const link = links[current];
        const thumbnail = link.querySelector("img");
        image.srcset = thumbnail.srcset;
        image.sizes = "100vw";
        image.src = thumbnail.currentSrc || thumbnail.src;
        image.alt = thumbnail.alt;
        image.width = thumbnail.width;
        image.height = thumbnail.height;
        caption.textContent = link.closest("figure").querySelector("figcaption").textContent;
        count.textContent = `Picture ${current + 1} of ${links.length}`;
        page.setAttribute("href", link.getAttribute("href"));
    };

    links.forEach((link, index) => link.addEventListener("click", (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
            return;
        }

        event.preventDefault();
        opener = link;
        show(index);
        dialog.showModal();
        close.focus();
    }));

    previous.addEventListener("click", () => show(current - 1));
    next.addEventListener("click", () => show(current + 1));
    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => opener?.focus());
    dialog.addEventListener("keydown", (event) => {
        // The modal dialog makes the page behind it inert, but Tab past its last control would leave for the browser's own.
        const controls = [...dialog.querySelectorAll("button, a[href]")];
        if (event.key === "Tab" && document.activeElement === controls[event.shiftKey ? 0 : controls.length - 1]) {
            event.preventDefault();
            controls[event.shiftKey ? controls.length - 1 : 0].focus();
        } else if (event.key === "ArrowLeft") {
            show(current - 1);
        } else if (event.key === "ArrowRight") {
            show(current + 1);
        }
    });

    // A horizontal swipe of at least 40 px turns the page; a mostly vertical one is left to scrolling.
    let start = null;
    image.addEventListener("pointerdown", (event) => { start = { x: event.clientX, y: event.clientY }; });
    image.addEventListener("pointerup", (event) => {
        if (start === null) {
            return;
        }

        const dx = event.clientX - start.x;
        const dy = event.clientY - start.y;
        start = null;
        if (Math.abs(dx) >= 40 && Math.abs(dx) > Math.abs(dy)) {
            show(dx < 0 ? current + 1 : current - 1);
        }
    });
    image.addEventListener("pointercancel", () => { start = null; });
}
