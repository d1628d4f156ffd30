import numpy as np, sys
from sim import llr, logmix
TOL=1.25
def run(rng, rps, base, ratio, mode, blip=None, hist_min=1440, mustcatch=2.0, maxmin=120):
    sched=[(5,10),(10,10),(50,10)]
    worse=[max(mustcatch,1.2*TOL)*2**i for i in range(6)]
    ww=[0.5**(i+1) for i in range(6)]
    within=np.sqrt(min(TOL,mustcatch))
    hn = rps*60*hist_min; hx = rng.poisson(base*hn)
    step=0; t_in_step=0; earlier_w=np.zeros(6); earlier_in=0.0
    C=[0,0]; S=[0,0]; stepC=[0,0]; stepS=[0,0]; pending=None; aside=False
    for minute in range(1,maxmin+1):
        w=sched[min(step,2)][0]/100; n=rps*60
        b = base*(blip[2] if blip and blip[0]<=minute<blip[1] else 1)
        nc=rng.poisson(n*w); ns=rng.poisson(n*(1-w))
        xc=rng.binomial(nc,min(1,b*ratio)); xs=rng.binomial(ns,b)
        vis=pending; pending=(nc,xc,ns,xs)
        if vis: stepC[0]+=vis[1]; stepC[1]+=vis[0]; stepS[0]+=vis[3]; stepS[1]+=vis[2]
        t_in_step+=1
        totC=(C[0]+stepC[0],C[1]+stepC[1]); totS=(S[0]+stepS[0],S[1]+stepS[1])
        wl=[earlier_w[i]+llr(stepC[0],stepC[1],stepS[0],stepS[1],worse[i],TOL) for i in range(6)]
        wi_step=earlier_in+llr(stepC[0],stepC[1],stepS[0],stepS[1],within,mustcatch)
        if not aside:
            g=logmix([llr(totS[0],totS[1],hx,hn,r,1) for r in [1.5,2,3,1/1.5,.5,1/3]],[1]*6)
            if g>=np.log(100): aside=True   # FalseRollbacks.STABLE_HISTORY = 0.01
        if mode=='hybrid' and not aside:
            wi=llr(totC[0],totC[1],totS[0]+hx,totS[1]+hn,within,mustcatch)
        else: wi=wi_step
        if logmix(wl,ww)>=np.log(1/0.004): return ('rb',minute)
        if step<2 and t_in_step>=10:
            earlier_w=np.array(wl); earlier_in=wi_step
            C=[totC[0],totC[1]]; S=[totS[0],totS[1]]; stepC=[0,0]; stepS=[0,0]; step+=1; t_in_step=0
        elif step==2 and t_in_step>=10:
            if wi+np.log(0.7)>=np.log(20 if mode!="hybrid" else 25): return ('pr',minute)
    return ('held',maxmin)
def summ(out,runs):
    rb=[m for k,m in out if k=='rb']; pr=[m for k,m in out if k=='pr']; held=sum(1 for k,_ in out if k=='held')
    f=lambda a:(float(np.median(a)) if a else None, float(np.percentile(a,95)) if a else None)
    return f"rb {len(rb)/runs:6.1%} {f(rb)} pr {len(pr)/runs:6.1%} {f(pr)} held {held/runs:.1%}"
cases=[("2x 10rps",10,0.005,2,{}),("healthy 10rps",10,0.005,1,{}),("healthy 1rps mc4",1,0.005,1,{'mustcatch':4}),("4x 1rps mc4",1,0.005,4,{'mustcatch':4}),("tol 10rps",10,0.005,1.25,{}),("healthy 10rps blip5x",10,0.005,1,{'blip':(22,27,5.0)}),("2x 10rps dip0.5 whole",10,0.005,2,{'blip':(0,200,0.5)})]
R=300
for name,rps,b,r,kw in cases:
    for mode in ['step','hybrid']:
        rng=np.random.default_rng(5)
        print(f"{name:22s} {mode:6s}", summ([run(rng,rps,b,r,mode,**kw) for _ in range(R)],R), flush=True)
